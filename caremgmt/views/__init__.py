from .referrals import act, detail, queue, refer

__all__ = ["act", "detail", "queue", "refer"]

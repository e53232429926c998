from .subscription import Notification, Subscription

__all__ = ["Notification", "Subscription"]

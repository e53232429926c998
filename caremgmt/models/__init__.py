from .referrals import Referral, ReferralRule, ReferralStatus

__all__ = ["Referral", "ReferralRule", "ReferralStatus"]

"""Clinical review: queues, skills, reviewer profiles, criteria, nurse and director reviews.

Filled by the routing issue (#3) and the clinical review issue (#4).
"""

"""Inbox services: receiving (receive.py), claiming (claim.py), reading (processing.py), the
watched folder (folder.py) and turning a confirmed fax into a case (convert.py)."""

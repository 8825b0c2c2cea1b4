"""Receivers that write the audit log (filled in by the audit slice)."""

"""Placeholder replaced by the edXML exchange below."""

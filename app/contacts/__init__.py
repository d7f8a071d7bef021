"""Contact exchange with consent, participant and organiser exports, privacy (issue 6)."""

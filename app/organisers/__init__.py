"""Organisers: sign-in (password, invite link), API tokens, audit log."""

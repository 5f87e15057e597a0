"""Accounts: sign-up, invitations, password reset, the password policy and login throttling."""

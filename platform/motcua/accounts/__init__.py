"""Accounts: users, their roles per ward, API tokens, sign-in."""

"""Introductions: whom to introduce to whom, and the double opt-in that follows."""

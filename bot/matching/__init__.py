"""Matching claims against the fact-check archive: has this been checked already?"""

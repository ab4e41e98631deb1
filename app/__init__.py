"""nq57-tracker: tracking Plan 209/KH-UBND (Cao Bằng) on Resolution 57-NQ/TW."""

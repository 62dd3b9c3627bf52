"""The people's records as typed objects, and the operations on them (no Qt)."""

"""Every write to the register: one function per use case, one transaction, with history."""

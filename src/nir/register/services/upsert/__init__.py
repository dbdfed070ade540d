"""Upserting participants from a municipality's case system (fagsystem).

A record is the case system's view of one participation: the person, the participation keyed
by the municipality's own case id, its registrations and its termination. Resending a record
updates what differs and writes nothing when it already matches, so a case system may send
its whole state again and again without making copies.

Every write goes through the ordinary services, so every rule, the registration window and
the history hold exactly as in the caseworker UI. A record for a known person or case id
runs in its own savepoint; the records entirely new to the register run through the same
services on pending rows and are written together (services/new_participants.py). Either
way a refused record leaves nothing behind, and never stops the others.

Semantics a vendor relies on (docs/api.md):

* Person facts are replaced by the record's (last writer wins for the person; the
  participation itself is guarded by its version where the caller sends one).
* Registrations are additive: an item equal to a stored one is skipped, a new one is
  registered, and a stored one the record leaves out stays: leaving an item out is not a
  cancellation, which has its own operation with a reason (services/corrections.py).
* An absent termination never reopens an ended participation; undoing one has its own
  operation too.
* Neither is silent: a stored registration or termination the record lacks comes back as a
  warning naming the operation that removes it, and a record that differs only so is
  ``not_applied``, never ``unchanged`` (which means the record equals what is stored).

The package: ``records`` (what a case system sends), ``results`` (what it gets back),
``canonical`` (what is stored, in the record's shape, and its content hash: a read),
``left_out`` (the warnings about what a record lacks), ``upsert`` (one record) and
``batch`` (many, the entirely new ones on pending rows).
"""

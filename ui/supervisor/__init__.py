"""The supervisor screen: stock reconciliation, outbox monitor, seat history and charts."""

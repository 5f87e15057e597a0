"""Webhooks: telling other systems what changed in a company, signed per the Standard
Webhooks spec. changes.py writes the deliveries in the transaction of the change,
delivery.py sends them from a worker, targets.py refuses addresses inside the network."""

"""Clinical rules and advice: the fact contract, the triage table, guidance and explanations."""

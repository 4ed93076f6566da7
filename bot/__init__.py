"""Domain logic of the twitch triage bot, testable without Rasa.

understanding/  free text -> facts (lexicon, negation scope, durations, answers)
dialogue/       the interview: state + understood message -> replies and new state
clinical/       the facts, the triage table, advice and explanations
kb/             knowledge base: free questions answered from the two articles
channels/       website widget (socket.io) and messaging platforms
server/         start-up, tracker store and other plumbing
"""

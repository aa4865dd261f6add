"""Qt delegates."""

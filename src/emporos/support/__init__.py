"""Customer support: tickets (one conversation per problem), mail in, SLAs, chat, calls."""

"""One module per screen or modal. Screens call services in worker threads and show results;
they hold no SQL and no business rules."""

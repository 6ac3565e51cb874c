"""Hand-over to fulfillment services (3PL): the adapter interface and registry (`adapters`),
the file-drop adapter (`file_drop`) and the services that send requests and apply the answers
through the fulfillment domain (`services`)."""

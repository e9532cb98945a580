// webhooks stores and entities.
export {};

// registry stores and entities.
export {};

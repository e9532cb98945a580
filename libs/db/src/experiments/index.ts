// experiments stores and entities.
export {};

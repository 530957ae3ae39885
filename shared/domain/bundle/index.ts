export * from './layout';
export * from './manifest';
export * from './reproduce';

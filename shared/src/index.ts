export * from './doc-layout'

export { filesInMemory } from './files-in-memory.js';

#!/usr/bin/env node
// Launcher: runs the TypeScript CLI through tsx so `npx shaketable …` works in a clone with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');

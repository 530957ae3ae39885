import { benchNational } from './national';

// One entry for `npm run bench`: each benchmark prints `<figure>: <median> ms (min, max)`.
const only = process.argv[2];
if (!only || only === 'national') benchNational();

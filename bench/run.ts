import { benchIntake } from './intake';
import { benchNational } from './national';

// One entry for `npm run bench [national|intake]`: each figure prints `<figure>: <median> ms (min, max)`.
const only = process.argv[2];
if (!only || only === 'national') benchNational();
if (!only || only === 'intake') await benchIntake();

import { benchIntake } from './intake';
import { benchNational } from './national';
import { benchPipeline } from './pipeline';
import { benchVerification } from './verification';

// `npm run bench [national|intake|verification|pipeline|demo]`: each figure prints `<figure>: <median> ms (min, max)`
// or its percentiles. Without an argument: the engine and intake figures (the runtime ones take minutes).
const only = process.argv[2];
if (!only || only === 'national') benchNational();
if (!only || only === 'intake') await benchIntake();
if (only === 'verification') benchVerification();
if (only === 'pipeline') await benchPipeline();
if (only === 'demo') await benchPipeline({ demo: true });

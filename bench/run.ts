import { benchIntake } from './intake';
import { benchIntakeWorst } from './intake-worst';
import { benchNational } from './national';
import { benchPipeline } from './pipeline';
import { benchSeason } from './season';
import { benchUncertainty } from './uncertainty';
import { benchVerification } from './verification';

// `npm run bench [national|uncertainty|intake|intake-worst|verification|pipeline|demo|season]`: each figure prints `<figure>: <median> ms (min, max)`
// or its percentiles. Without an argument: the engine and intake figures (the runtime ones take minutes).
const only = process.argv[2];
if (!only || only === 'national') benchNational();
if (!only || only === 'uncertainty') benchUncertainty();
if (!only || only === 'intake') await benchIntake();
if (only === 'intake-worst') await benchIntakeWorst();
if (only === 'verification') benchVerification();
if (only === 'pipeline') await benchPipeline();
if (only === 'season') await benchSeason();
if (only === 'demo') await benchPipeline({ demo: true });

import { Validations } from 'aws-cdk-lib';
import { nagPacks } from './nag';
import { createApp } from './synth';

// Entry of `npx cdk synth|deploy` (cdk.json). cdk-nag runs as validation plugins: any finding
// that is not acknowledged (with a reason) fails the synth.
const { app } = createApp();
Validations.of(app).addPlugins(...nagPacks());
app.synth();

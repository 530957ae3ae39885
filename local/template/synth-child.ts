// Runs in a child process (node --import tsx): the CDK app is loaded only here, so the runtime
// itself never holds aws-cdk-lib in memory. Writes {stackName, template} as JSON on stdout.
import { synthesizeTemplate } from '#infra/synth';

const synthesized = synthesizeTemplate();
process.stdout.write(JSON.stringify(synthesized));

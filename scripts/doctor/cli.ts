// `npm run doctor`: checks the app's environment and its Logto tenant, prints the checklist, exits 1 on a ✗.
// The checks live in doctor.ts (runDoctor); this file only reads the environment and prints.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { resolveDoctorEnv } from './doctor-env';
import { runDoctor } from './doctor';
import { formatReport } from './format-report';

const ROOT = join(__dirname, '..', '..');

/** Files that make up a back-channel logout receiver in this app; with none, that check is "not configured". */
const BACKCHANNEL_RECEIVER_FILES = ['lib/logto/logout/backchannel-logout.ts', 'pages/api/auth/backchannel-logout.ts'];

async function main(): Promise<void> {
  const { env, notes, localIssuer } = resolveDoctorEnv(ROOT, process.env);
  for (const note of notes) console.info(note);
  if (notes.length > 0) console.info('');
  const report = await runDoctor({
    env,
    localIssuer,
    backchannelReceiver: BACKCHANNEL_RECEIVER_FILES.some((file) => existsSync(join(ROOT, file))),
  });
  console.info(formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
}

main().catch((error: unknown) => {
  // Only a bug in the doctor itself lands here: every tenant problem is a ✗ line.
  console.error(`npm run doctor: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});

import { createClients } from './aws/clients';
import { createCheckHandler } from './check/handler';
import { createHandler } from './handler';

/**
 * The Lambda entry points (bundled as index.js). Import does nothing but create the SDK clients,
 * once per execution environment, so warm invocations reuse them.
 * - `index.handler`: the Config rule's periodic evaluation (facts from the credential report
 *   first, per-user live reads when it cannot be had).
 * - `index.checkHandler`: the revocation check the remediation document runs before the runbook
 *   (deployed as its own function, iam-unused-cleanup-check).
 */
const clients = createClients();
export const handler = createHandler(clients);
export const checkHandler = createCheckHandler(clients);

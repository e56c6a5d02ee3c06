/** The Bot Framework adapter: authentication on whenever MicrosoftAppId is set. */
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

export function createAdapter(config: Config): TeamsAdapter {
  return new TeamsAdapter({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  });
}

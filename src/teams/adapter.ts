/**
 * The Bot Framework adapter: authentication on whenever MicrosoftAppId is set. Where inbound tokens are
 * checked against (the OpenID metadata URL and the issuer) can be changed for tests and sovereign clouds;
 * the other endpoints stay the public cloud's.
 */
import { CallerIdConstants, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { AuthenticationConstants } from 'botframework-connector';
import { TeamsAdapter } from '@microsoft/teams-ai';
import type { Config } from '../config';

export interface InboundAuth {
  metadataUrl: string;
  issuer: string;
}

export const inboundAuthOf = (config: Config): InboundAuth => ({
  metadataUrl: config.BOT_OPENID_METADATA_URL ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
  issuer: config.BOT_TOKEN_ISSUER ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
});

/** TeamsAdapter, with the activity handed over already parsed, so that the HTTP answer is ours (no stacks, no host names). */
export class HuddleAdapter extends TeamsAdapter {
  run(authHeader: string, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity, logic);
  }
}

export function createAdapter(config: Config): HuddleAdapter {
  const inbound = inboundAuthOf(config);
  // Setting any endpoint makes the connector take every one from here, so the public cloud's are given too.
  return new HuddleAdapter({
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
    ValidateAuthority: true,
    ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
    ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
    ToBotFromChannelTokenIssuer: inbound.issuer,
    OAuthUrl: AuthenticationConstants.OAuthUrl,
    ToBotFromChannelOpenIdMetadataUrl: inbound.metadataUrl,
    ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
    CallerId: CallerIdConstants.PublicAzureChannel,
  });
}

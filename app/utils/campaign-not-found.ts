/**
 * The one answer every organiser campaign route gives for a campaign that does not exist (ADR 118):
 * the body of the 404 the guard throws, and the title the organisers' layout shows for it.
 */
export const CAMPAIGN_NOT_FOUND = 'No campaign at this address'

export const isCampaignNotFound = (status: number, data: unknown) => status === 404 && data === CAMPAIGN_NOT_FOUND

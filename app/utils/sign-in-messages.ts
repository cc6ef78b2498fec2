/** The answer to a network that must wait after its failed sign-ins (ADR 095). */
export const networkWaitMessage = (seconds: number) =>
  `Too many failed sign-ins came from your network. Wait ${seconds < 120 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`} and try again.`

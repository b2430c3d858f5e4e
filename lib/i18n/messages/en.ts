/**
 * English: the API's texts for people, ICU MessageFormat (read by @formatjs/intl). Every catalogue
 * has exactly these keys (test/rules/message-catalogues.test.ts); the routing rules' English answers
 * are pinned word for word by test/rules/routing.test.ts.
 */
export const en = {
  // Routing rule 1: Level 0 technical support
  'routing.level0.subject': 'Level 0 technical support ({topic}) for license {key}',
  'routing.level0.direct': '{subject} comes from {manufacturer}, since the license was bought directly from the manufacturer',
  'routing.level0.vendor': '{subject} comes from its vendor {vendor}',
  'routing.level0.vendorNotDistributor': 'its vendor {vendor} is no longer a distributor',
  'routing.level0.vendorInactive': 'its vendor {vendor} is no longer active',
  'routing.level0.noDistributor': '{subject} comes from {manufacturer}, because {why} and no active distributor serves {country}',
  'routing.level0.oneDistributor': '{subject} comes from {distributor}, the active distributor serving {country}, because {why}',
  'routing.level0.severalDistributors': "{subject}: {why}, so choose among the active distributors serving {country}, holder's language first: {names}",
  'routing.level0.takeover': '{explanation}; {manufacturer} takes over what {count, plural, one {it} other {they}} cannot solve.',
  'routing.level0.manufacturerIsContact': '{explanation}.',
  // Rule 2: Level 1 technical support
  'routing.level1': 'Level 1 technical support ({topic}) for license {key} comes from the manufacturer {manufacturer}, which also bills it.',
  // Rule 3: software maintenance
  'routing.maintenance': 'Software maintenance ({topic}) for license {key} comes from the manufacturer {manufacturer}, {billing}{arrears}.',
  'routing.maintenance.billedByVendor': 'billed by its vendor {vendor}',
  'routing.maintenance.billedByManufacturer': 'which also bills it',
  'routing.maintenance.noPayment': '; maintenance is not paid through today (no payment recorded)',
  'routing.maintenance.paidThrough': '; maintenance is not paid through today (paid through {date} only)',
  // Rule 4: user support and training
  'routing.userSupport.disclaimer': 'the manufacturer {manufacturer} does not provide {topic}',
  'routing.userSupport.none': 'No active support partner serves {country}, so there is no contact for {topic} under license {key}; {disclaimer}.',
  'routing.userSupport.partners': '{topic} for license {key} comes from the active support partners serving {country}: {names} ({order}{units}); {disclaimer}.',
  'routing.userSupport.orderDesignated':
    "its designated support partner {partner} first, then those working in the holder's language ({language}), then by lowest current price",
  'routing.userSupport.orderOpen': "those working in the holder's language ({language}) first, then by lowest current price",
  'routing.userSupport.units': '; prices compare like with like, per hour before per participant, per day, one-time and annual: {prices}',
  'routing.userSupport.price': '{name} {currency} {amount} {unit}',
  // Rule 5: the license's status
  'routing.licenseNotActive': ' Note: license {key} is {status} (not active).',
  // Price units, as the explanations name them
  'unit.PER_HOUR': 'per hour',
  'unit.PER_PARTICIPANT': 'per participant',
  'unit.PER_DAY': 'per day',
  'unit.ONE_TIME': 'one-time',
  'unit.ANNUAL': 'annual',
  // Support categories and topics (their ids never change)
  'category.SOFTWARE_MAINTENANCE': 'Software maintenance',
  'category.TECHNICAL_SUPPORT': 'Technical support',
  'category.USER_SUPPORT': 'User support',
  'topic.updates': 'Updates',
  'topic.upgrades': 'Upgrades',
  'topic.server-installation': 'Server installation',
  'topic.client-installation': 'Client installation',
  'topic.server-client-connection': 'Server-Client-connection',
  'topic.pms-interface': 'Establish PMS interface',
  'topic.ims-interfaces': 'Establish IMS interfaces (2D/3D)',
  'topic.software-activation-request': 'Software activation request',
  'topic.software-activation': 'Software activation',
  'topic.license-renewal': 'Renew/extend license',
  'topic.database-backup': 'Database backup',
  'topic.software-update': 'Software update',
  'topic.database-migration': 'Database migration',
  'topic.patch-installation': 'Installation of patches',
  'topic.system-settings': 'Other system settings',
  'topic.database-restore': 'Database restore',
  'topic.troubleshooting': 'Troubleshooting / Error messages',
  'topic.user-support': 'User support',
  'topic.training': 'Training',
  // Errors (their codes never change)
  'error.licenseNotFound': 'License "{key}" not found',
  'error.unknownTopic': 'Unknown support topic "{id}"; known topics: {known}',
  'error.noManufacturer': 'the directory has no provider with role MANUFACTURER',
  'error.signInFailed': 'The license key or the access code is not right. Check both on your license papers, or ask your distributor for a new access code.',
  'error.tooManySignIns': 'Too many sign-in attempts for this license or from this address. Try again in {seconds} s.',
  'error.signInOnce': 'Sign in once per request: the operation asks for signIn more than once.',
};

export type MessageId = keyof typeof en;

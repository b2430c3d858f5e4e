/**
 * openingPreview: what Provider.openNow and nextOpening would say for business hours not saved yet,
 * so the partner portal can show "open now / opens next" while the hours are typed. A dry run: the
 * same checks as updateProvider (lib/validation.ts, with the opening_hours reader's own message for
 * a wrong value) and the same reading (businessHoursAt) at the request's instant; nothing is stored.
 */
import { Arg, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { countryArgument, inputField } from '../../../lib/arguments';
import { businessHoursAt } from '../../../lib/opening-hours';
import * as checks from '../../../lib/validation';
import { MAX_LENGTH } from '../../../lib/validation';
import type { ProvidersContext } from '../context';

@ObjectType({ description: 'What practices would see for business hours in a time zone, now (a dry run: nothing is saved).' })
export class OpeningPreview {
  @Field({ description: 'The business hours as they would be stored (trimmed).' })
  businessHours!: string;

  @Field({ description: 'The IANA time zone as it would be stored.' })
  timeZone!: string;

  @Field(() => Boolean, { nullable: true, description: 'As Provider.openNow would answer.' })
  openNow!: boolean | null;

  @Field(() => String, { nullable: true, description: 'As Provider.nextOpening would answer.' })
  nextOpening!: string | null;
}

@Resolver(() => OpeningPreview)
export class OpeningPreviewResolver {
  @Query(() => OpeningPreview, {
    description:
      'A dry run of business hours: what openNow and nextOpening would answer right now for these hours in this time zone, checked like updateProvider (a wrong value is BAD_USER_INPUT with the reader’s own message); nothing is saved.',
  })
  openingPreview(
    @Arg('businessHours', { description: 'OpenStreetMap opening_hours syntax, e.g. "Mo-Fr 08:00-17:00; PH off".' }) businessHours: string,
    @Arg('timeZone', { description: 'IANA time zone, e.g. "Europe/Berlin".' }) timeZone: string,
    @Arg('country', { description: 'ISO 3166-1 alpha-2 country whose public holidays PH means (the provider’s home country).' }) country: string,
    @Ctx() { now }: ProvidersContext,
  ): OpeningPreview {
    const hours = inputField(businessHours, 'businessHours', checks.businessHours);
    const zone = inputField(timeZone, 'timeZone', checks.bounded(checks.timeZone, MAX_LENGTH.timeZone));
    const state = businessHoursAt({ businessHours: hours, timeZone: zone, country: countryArgument(country) }, now);
    return { businessHours: hours, timeZone: zone, ...state };
  }
}

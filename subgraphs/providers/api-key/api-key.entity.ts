import { Entity, ManyToOne, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType } from 'type-graphql';
import type { Provider } from '../provider/provider.entity';

/**
 * A key an admin issued to one provider for its integrations (docs/guide.md "Identity and access"). Only the
 * SHA-256 hash of the key is stored: whoever reads this table cannot call as the provider. A key is
 * never deleted, only revoked, so the audit trail can still name it.
 */
@Entity({ tableName: 'api_key' })
@ObjectType({ description: "An API key of a provider's integration, as admins see it: never the key itself, nor its hash." })
export class ApiKey {
  @PrimaryKey({ type: 'string', length: 36 })
  @Field(() => ID, { description: 'Stable id of the key (a UUID); what revokeApiKey takes.' })
  id!: string;

  @ManyToOne('Provider', { mapToPk: true, fieldName: 'provider_id', deleteRule: 'cascade' })
  @Field(() => ID, { description: 'The provider the key acts as.' })
  providerId!: Provider['id'];

  @Property({ length: 100 })
  @Field({ description: 'What the admin named the key for (e.g. "ERP sync").' })
  label!: string;

  /** SHA-256 of the key, hex; how the gateway's lookup finds it (lib/api-keys.ts). */
  @Property({ length: 64, unique: 'api_key_hash_unique' })
  hash!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;
}

@ObjectType({ description: 'A key just issued: the only answer that ever holds the key itself. Store it now; it cannot be read again.' })
export class IssuedApiKey {
  @Field(() => ID, { description: 'Stable id of the key; what revokeApiKey takes.' })
  id!: string;

  @Field({ description: 'The key, for the X-API-Key header. Shown this once.' })
  key!: string;

  @Field(() => ID, { description: 'The provider the key acts as.' })
  providerId!: string;

  @Field({ description: 'What the admin named the key for.' })
  label!: string;
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125044855_directory_invariants extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create unique index "provider_one_manufacturer" on "provider" ((cast("roles" as text) like '%"MANUFACTURER"%')) where cast("roles" as text) like '%"MANUFACTURER"%';`);

    // An offer belongs to its provider for good (set by the provider itself, docs/rules.md): the row
    // of one provider's offer can never be handed to another. Entities cannot describe triggers,
    // so this lives in the migrations only (test/subgraphs/directory-invariants.test.ts checks it).
    this.addSql(`create function "offer_provider_fixed"() returns trigger language plpgsql as $$ begin raise exception 'offer_provider_fixed: offer "%" belongs to provider "%"; its provider cannot change to "%"', old."id", old."provider_id", new."provider_id" using errcode = 'integrity_constraint_violation'; end $$;`);
    this.addSql(`create trigger "offer_provider_fixed" before update of "provider_id" on "offer" for each row when (old."provider_id" is distinct from new."provider_id") execute function "offer_provider_fixed"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "offer_provider_fixed" on "offer";`);
    this.addSql(`drop function "offer_provider_fixed"();`);
    this.addSql(`drop index "provider_one_manufacturer";`);
  }

}

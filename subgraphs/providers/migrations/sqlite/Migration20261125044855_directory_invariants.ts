import { Migration } from '@mikro-orm/migrations';

export class Migration20261125044855_directory_invariants extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create unique index "provider_one_manufacturer" on "provider" ((cast("roles" as text) like '%"MANUFACTURER"%')) where cast("roles" as text) like '%"MANUFACTURER"%';`);

    // An offer belongs to its provider for good (set by the provider itself, docs/rules.md): the row
    // of one provider's offer can never be handed to another. Entities cannot describe triggers,
    // so this lives in the migrations only (test/subgraphs/directory-invariants.test.ts checks it).
    this.addSql(`create trigger "offer_provider_fixed" before update of "provider_id" on "offer" when old."provider_id" is not new."provider_id" begin select raise(abort, 'offer_provider_fixed: an offer belongs to its provider; its provider cannot change'); end;`);
  }

}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125061500_vat_rate extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "vat_rate" ("country" varchar(2) not null, "valid_from" varchar(10) not null, "rate" varchar(12) not null, "eu" boolean not null, primary key ("country", "valid_from"));`);
  }

}

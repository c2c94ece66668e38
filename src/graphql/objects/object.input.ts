import { Field, InputType, Int } from 'type-graphql';
import { DateTimeScalar, JSONObjectScalar } from '../common/scalars.js';
import { ObjectKind } from './objectKind.js';

@InputType({ description: 'Rows × columns for a container whose template does not fix its layout.' })
export class LayoutInput {
  @Field(() => Int) rows!: number;
  @Field(() => Int) columns!: number;
}

@InputType()
export class ExternalReferenceInput {
  @Field(() => String, { nullable: true, description: 'Defaults to "external".' }) provider?: string;
  @Field(() => String, { description: 'e.g. order_number, patient_id, kit_barcode' }) type!: string;
  @Field(() => String) value!: string;
}

@InputType()
export class CreateObjectInput {
  @Field(() => String, { nullable: true, description: 'category/type/subtype/version, e.g. container/plate/fixed-plate-96/1.0' })
  templateCode?: string;
  @Field(() => String, { nullable: true, description: 'Alternative to templateCode.' }) templateEuid?: string;
  @Field(() => String, { nullable: true, description: 'Defaults to the EUID.' }) name?: string;
  @Field(() => String, { nullable: true, description: "The caller's own id; unique per kind among live objects." }) externalId?: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true }) barcode?: string;
  @Field(() => LayoutInput, { nullable: true }) layout?: LayoutInput;
  @Field(() => JSONObjectScalar, { nullable: true }) properties?: Record<string, unknown>;
  @Field(() => [ExternalReferenceInput], { nullable: true }) references?: ExternalReferenceInput[];
}

@InputType()
export class UpdateObjectInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true, description: 'Set to null to clear.' }) externalId?: string | null;
  @Field(() => String, { nullable: true }) barcode?: string | null;
  @Field(() => JSONObjectScalar, { nullable: true, description: 'Merged one level deep; a null value removes the key.' })
  properties?: Record<string, unknown>;
  @Field(() => [ExternalReferenceInput], { nullable: true }) references?: ExternalReferenceInput[];
}

@InputType()
export class ExternalReferenceFilter {
  @Field(() => String) type!: string;
  @Field(() => String) value!: string;
}

@InputType()
export class ObjectFilter {
  @Field(() => ObjectKind, { nullable: true }) kind?: ObjectKind;
  @Field(() => String, { nullable: true }) category?: string;
  @Field(() => String, { nullable: true }) type?: string;
  @Field(() => String, { nullable: true }) subtype?: string;
  @Field(() => String, { nullable: true }) status?: string;
  @Field(() => String, { nullable: true, description: 'Case-insensitive substring of the name.' }) nameContains?: string;
  @Field(() => String, { nullable: true }) externalId?: string;
  @Field(() => String, { nullable: true }) barcode?: string;
  @Field(() => String, { nullable: true }) templateCode?: string;
  @Field(() => ExternalReferenceFilter, { nullable: true }) reference?: ExternalReferenceFilter;
  @Field(() => DateTimeScalar, { nullable: true }) createdAfter?: Date;
  @Field(() => DateTimeScalar, { nullable: true }) createdBefore?: Date;
  @Field(() => Boolean, { nullable: true, defaultValue: false }) includeDeleted?: boolean;
}

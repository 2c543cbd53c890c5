package dev.pinaivu.functions.testsupport;

import static dev.pinaivu.functions.testsupport.FrontItems.PK;
import static dev.pinaivu.functions.testsupport.FrontItems.item;
import static dev.pinaivu.functions.testsupport.FrontItems.n;
import static dev.pinaivu.functions.testsupport.FrontItems.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * UpdateTimeToLive and DescribeTimeToLive (DynamoDB API reference): settings kept per table. The
 * front never deletes an expired item: DynamoDB deletes them lazily, typically within days, so an
 * expired item may be read there too, and readers filter by time.
 */
class TimeToLiveIT {
  private static final DynamoTransactionsFront FRONT = DynamoTransactionsFront.shared();
  private static final DynamoDbClient DYNAMO = FRONT.client();

  private String table;

  @BeforeEach
  void createTable() {
    table = DynamoTransactionsFront.uniqueTableName("ttl");
    FRONT.createTable(table, PK);
  }

  @Test
  void newTable_hasTimeToLiveDisabled() {
    assertThat(describe().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
  }

  @Test
  void enabling_isDescribedWithItsAttribute_andDisablingTurnsItOff() {
    TimeToLiveSpecification enabled = update("expiresAt", true);

    // the answer repeats the specification it was given
    assertThat(enabled.attributeName()).isEqualTo("expiresAt");
    assertThat(enabled.enabled()).isTrue();
    assertThat(describe().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
    assertThat(describe().attributeName()).isEqualTo("expiresAt");

    update("expiresAt", false);
    assertThat(describe().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
  }

  @Test
  void enablingTwice_isAValidationError() {
    update("expiresAt", true);

    DynamoDbException refused =
        catchThrowableOfType(DynamoDbException.class, () -> update("other", true));

    assertThat(refused.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
    assertThat(describe().attributeName()).isEqualTo("expiresAt");
  }

  @Test
  void expiredItem_isNeverDeletedByTheFront() {
    update("expiresAt", true);
    long anHourAgo = Instant.now().minusSeconds(3600).getEpochSecond();
    DYNAMO.putItem(b -> b.tableName(table).item(item("old", "expiresAt", n(anHourAgo))));

    assertThat(stored(DYNAMO, table, "old")).containsEntry("expiresAt", n(anHourAgo));
  }

  @Test
  void missingTable_isResourceNotFound() {
    assertThatThrownBy(() -> DYNAMO.describeTimeToLive(b -> b.tableName("no-such-table")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() ->
            DYNAMO.updateTimeToLive(b ->
                b.tableName("no-such-table")
                    .timeToLiveSpecification(t -> t.attributeName("expiresAt").enabled(true))))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deletedTable_takesItsSettingWithIt() {
    update("expiresAt", true);

    DYNAMO.deleteTable(b -> b.tableName(table));
    FRONT.createTable(table, PK);

    assertThat(describe().timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
  }

  private TimeToLiveSpecification update(String attribute, boolean enabled) {
    return DYNAMO
        .updateTimeToLive(b ->
            b.tableName(table)
                .timeToLiveSpecification(t -> t.attributeName(attribute).enabled(enabled)))
        .timeToLiveSpecification();
  }

  private TimeToLiveDescription describe() {
    return DYNAMO.describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
  }
}

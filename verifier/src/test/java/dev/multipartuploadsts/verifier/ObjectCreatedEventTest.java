package dev.multipartuploadsts.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ObjectCreatedEventTest {

    @Test
    void readsTheFieldsOfTheDocumentedObjectCreatedEvent() {
        ObjectCreatedEvent event = ObjectCreatedEvent.parse(Messages.objectCreated("bucket-1",
                "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/a.bin", 5, "b1946ac92492d2347c6235b4d2611184"));

        assertThat(event).isEqualTo(new ObjectCreatedEvent("17793124-05d4-b198-2fde-7ededc63b103", "bucket-1",
                "uploads/mfrg/01938a6e-7c3b-7d2e-9f10-2a4b6c8d0e1f/a.bin", 5L, "b1946ac92492d2347c6235b4d2611184",
                "617f08299329d189", "CompleteMultipartUpload"));
    }

    @Test
    void refusesABodyThatIsNotJsonSayingSo() {
        assertThatThrownBy(() -> ObjectCreatedEvent.parse("{\"Records\":"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not well-formed JSON");
        assertThatThrownBy(() -> ObjectCreatedEvent.parse("[1]"))
                .hasMessage("the message body must be a JSON object (an EventBridge event), but it is not");
        assertThatThrownBy(() -> ObjectCreatedEvent.parse(null))
                .hasMessage("the message must have a body, but it has none");
    }

    @Test
    void refusesAnotherKindOfEventNamingWhatWasGiven() {
        String deleted = Messages.objectCreated("b", "k", 1, "e").replace("Object Created", "Object Deleted");

        assertThatThrownBy(() -> ObjectCreatedEvent.parse(deleted))
                .hasMessage("the event must have source aws.s3 and detail-type Object Created, but source \"aws.s3\" "
                        + "and detail-type \"Object Deleted\" were given");
    }

    @Test
    void refusesAnEventWithoutBucketOrKey() {
        String noKey = "{\"source\":\"aws.s3\",\"detail-type\":\"Object Created\",\"detail\":{\"bucket\":{\"name\":\"b\"},"
                + "\"object\":{\"key\":7}}}";

        assertThatThrownBy(() -> ObjectCreatedEvent.parse(noKey))
                .hasMessage("the event must name detail.bucket.name and detail.object.key as strings, but bucket \"b\" "
                        + "and key (none) were given");
    }

    @Test
    void refusesDuplicateFieldsSoAnEventCannotNameTwoKeys() {
        String twice = "{\"source\":\"aws.s3\",\"source\":\"aws.s3\"}";

        assertThatThrownBy(() -> ObjectCreatedEvent.parse(twice)).hasMessageContaining("Duplicate field 'source'");
    }
}

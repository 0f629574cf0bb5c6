import pytest

from .receiver import SmsReceiver


@pytest.fixture(scope="session")
def sms_receiver():
    receiver = SmsReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def stepup_on(settings, sms_receiver):
    """The second step enforced (the test settings switch it off), SMS to the receiver."""
    settings.STEPUP_ENFORCED = True
    settings.STEPUP_SMS_BACKEND = "portal.stepup.sms.HttpApiBackend"
    settings.SMS_API_URL = sms_receiver.url
    settings.SMS_API_TOKEN = "test-sms-token"  # noqa: S105
    sms_receiver.messages.clear()
    return sms_receiver

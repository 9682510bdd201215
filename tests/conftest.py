import pytest
from pdcq_nb.data import shared_data_root


@pytest.fixture(scope='session')
def shared():
    "The ../shared/data folder; tests that need it skip with a clear reason when it is absent."
    root = shared_data_root()
    if root is None or not root.is_dir():
        pytest.skip('../shared/data not found (set PDCQ_DATA to the data folder to run this test)')
    return root

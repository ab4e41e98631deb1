from fastapi import APIRouter

router = APIRouter(prefix="/channels", tags=["channels"])

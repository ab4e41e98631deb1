from fastapi import APIRouter

router = APIRouter(prefix="/figures", tags=["figures"])
